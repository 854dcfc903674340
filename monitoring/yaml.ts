/**
 * A small YAML writer for the files opsbot hands Prometheus: maps, lists, strings, numbers and booleans. Strings are
 * written double-quoted as JSON writes them (a JSON string is a valid YAML double-quoted scalar), so no value, however
 * odd (`{{ $value }}`, `: `, `#`), changes meaning. Keys are plain identifiers in these files.
 */
export type YamlValue = string | number | boolean | null | YamlValue[] | YamlMap;
/** Keys whose value is undefined are left out, so optional settings can be written inline. */
export type YamlMap = { [key: string]: YamlValue | undefined };

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

function scalar(value: string | number | boolean | null): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

const key = (k: string) => (PLAIN_KEY.test(k) ? k : JSON.stringify(k));

function lines(value: YamlValue, indent: string): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${indent}[]`];
    return value.flatMap((item) => {
      const [first = '', ...rest] = isCollection(item) && !isEmpty(item) ? lines(item, `${indent}  `) : [`${indent}  ${scalarOrEmpty(item)}`];
      return [`${indent}- ${first.slice(indent.length + 2)}`, ...rest];
    });
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter((entry): entry is [string, YamlValue] => entry[1] !== undefined);
    if (entries.length === 0) return [`${indent}{}`];
    return entries.flatMap(([k, v]) => (isCollection(v) && !isEmpty(v) ? [`${indent}${key(k)}:`, ...lines(v, `${indent}  `)] : [`${indent}${key(k)}: ${scalarOrEmpty(v)}`]));
  }
  return [`${indent}${scalar(value)}`];
}

function isCollection(value: YamlValue): value is YamlValue[] | { [key: string]: YamlValue | undefined } {
  return value !== null && typeof value === 'object';
}

function isEmpty(value: YamlValue[] | { [key: string]: YamlValue | undefined }): boolean {
  return Array.isArray(value) ? value.length === 0 : Object.values(value).every((v) => v === undefined);
}

function scalarOrEmpty(value: YamlValue): string {
  if (Array.isArray(value)) return '[]';
  if (value !== null && typeof value === 'object') return '{}';
  return scalar(value);
}

/** The document, with an optional leading comment (one `# ` line per line of it). */
export function toYaml(value: YamlValue, comment?: string): string {
  const head = comment ? `${comment.split('\n').map((line) => `# ${line}`.trimEnd()).join('\n')}\n` : '';
  return `${head}${lines(value, '').join('\n')}\n`;
}
