// The ways one phone number is written: E.164, without '+', with the 00 prefix, national (with trunk prefix),
// the national significant number, spaced and dashed groupings, and the form the tester typed.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export interface PhoneForms {
  /** Every spelling to search for. */
  forms: string[];
  /** The spellings an app is likely to hash (digits-only and E.164 forms). */
  hashForms: string[];
  /** E.164 when the number could be parsed. */
  e164?: string;
}

export function phoneForms(raw: string, defaultCountry?: string): PhoneForms {
  const forms = new Set<string>();
  const hashForms = new Set<string>();
  const typed = raw.trim();
  forms.add(typed);
  const typedDigits = typed.replace(/\D/g, '');
  if (typedDigits.length >= 7) {
    forms.add(typedDigits);
    hashForms.add(typed.startsWith('+') ? `+${typedDigits}` : typedDigits);
  }
  const p = parsePhoneNumberFromString(typed, defaultCountry as CountryCode | undefined);
  if (!p) return { forms: [...forms], hashForms: [...hashForms] };
  const cc = p.countryCallingCode;
  const nsn = p.nationalNumber;
  const national = p.formatNational();
  const nationalDigits = national.replace(/\D/g, '');
  const intl = p.formatInternational();
  for (const f of [p.number, `${cc}${nsn}`, `00${cc}${nsn}`, nationalDigits, national, intl, `+${cc} ${nsn}`]) forms.add(f);
  if (nsn.length >= 7) forms.add(nsn);
  // Dashed and spaced groupings of the national and international layouts.
  const groups = intl.replace(/^\+\d+\s*/, '').split(/[\s()-]+/).filter((g) => g !== '');
  if (groups.length > 1) {
    const nationalGroups = nationalDigits !== nsn && groups[0] !== undefined ? [nationalDigits.slice(0, nationalDigits.length - nsn.length) + groups[0], ...groups.slice(1)] : groups;
    for (const sep of [' ', '-', '.']) {
      forms.add(nationalGroups.join(sep));
      forms.add(`+${cc}${sep}${groups.join(sep)}`);
      forms.add(`+${cc}${sep}${nsn}`);
    }
  }
  for (const f of [p.number, `${cc}${nsn}`, nationalDigits, nsn]) hashForms.add(f);
  return { forms: [...forms].filter((f) => f.replace(/\D/g, '').length >= 7), hashForms: [...hashForms], e164: p.number };
}
