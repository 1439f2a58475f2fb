/**
 * DNS names as Route 53 keeps them: absolute (trailing dot), lower-case, with characters outside
 * `a-z 0-9 - _ .` written as a three-digit octal escape (`*` is `\052`), and ordered with their
 * labels reversed (`com.example.www.`) in listings.
 *
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html
 * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListResourceRecordSets.html
 */

/**
 * The canonical form of a name as a client sent it: octal escapes decoded, lower-case, with a
 * trailing dot (Route 53 treats `www.Example.com` and `www.example.com.` as the same name).
 */
export function canonicalName(name: string): string {
  const decoded = name.trim().replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))).toLowerCase();
  return decoded.endsWith('.') ? decoded : `${decoded}.`;
}

/** The name as Route 53 answers it: characters other than `a-z 0-9 - _ .` octal-escaped. */
export function displayName(canonical: string): string {
  return canonical.replace(/[^a-z0-9\-_.]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
}

/** True when `name` is `zone` or below it. */
export function isWithin(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`) || zone === '.';
}

/** The name with its labels reversed, as Route 53 sorts: `www.example.com.` → `com.example.www.`. */
export function reversedLabels(canonical: string): string {
  const labels = canonical.replace(/\.$/, '').split('.');
  return `${labels.reverse().join('.')}.`;
}

/** Compares by reversed labels in ASCII order. */
export function compareNames(a: string, b: string): number {
  const ra = reversedLabels(displayName(a));
  const rb = reversedLabels(displayName(b));
  return ra < rb ? -1 : ra > rb ? 1 : 0;
}

/**
 * Why a domain name cannot name a hosted zone, or undefined when it can: labels of 1–63
 * characters, 255 characters at most.
 */
export function domainNameProblem(canonical: string): string | undefined {
  if (canonical === '.' || canonical.length > 255) return 'the name must have 1 to 255 characters';
  const labels = canonical.slice(0, -1).split('.');
  if (labels.some((l) => l.length === 0 || l.length > 63)) return 'each label must have 1 to 63 characters';
  return undefined;
}
