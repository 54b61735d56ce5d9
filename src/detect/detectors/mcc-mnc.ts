// MCC/MNC lookups against the mcc-mnc-list table (Wikipedia-derived).
import { all as allOperators } from 'mcc-mnc-list';

let index: Map<string, string> | undefined;

/** mcc+mnc (5 or 6 digits) → operator name, built once. */
function table(): Map<string, string> {
  if (!index) {
    index = new Map();
    for (const op of allOperators()) {
      if (op.type === 'Test' || !/^\d{3}$/.test(op.mcc) || !/^\d{2,3}$/.test(op.mnc)) continue;
      index.set(op.mcc + op.mnc, op.brand || op.operator || op.countryName);
    }
  }
  return index;
}

/** The operator an IMSI belongs to (trying 3-digit then 2-digit MNCs), or undefined. */
export function imsiOperator(imsi: string): string | undefined {
  if (!/^\d{14,15}$/.test(imsi)) return undefined;
  return table().get(imsi.slice(0, 6)) ?? table().get(imsi.slice(0, 5));
}

/** The operator of a numeric mcc+mnc code such as "46001", or undefined. */
export function operatorOf(mccMnc: string): string | undefined {
  return table().get(mccMnc);
}
