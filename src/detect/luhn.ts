// The Luhn (mod 10) check digit, used by IMEI, ICCID and payment card numbers.

/** True when the digit string passes the Luhn check (its last digit is the check digit). */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** The Luhn check digit for a digit string without one. */
export function luhnCheckDigit(body: string): number {
  for (let d = 0; d < 10; d++) if (luhnValid(body + String(d))) return d;
  return 0;
}
