/**
 * Go's regexp.Expand template semantics, which Prometheus uses for `replacement` and
 * `target_label`: `$1`, `${1}`, `$name`, `${name}`, `$$` for a literal dollar. A name is the
 * longest run of letters, digits and underscores, so `$1x` means the group named "1x" (empty),
 * and a reference to a group that does not exist expands to nothing.
 */
export function expandTemplate(template: string, match: RegExpExecArray): string {
  if (!template.includes('$')) return template;
  let out = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, dollar);
    i = dollar + 1;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string | undefined;
    if (template[i] === '{') {
      const close = template.indexOf('}', i);
      const inner = close < 0 ? '' : template.slice(i + 1, close);
      if (close > 0 && /^\w+$/.test(inner)) {
        name = inner;
        i = close + 1;
      }
    } else {
      const m = /^\w+/.exec(template.slice(i));
      if (m) {
        name = m[0];
        i += m[0].length;
      }
    }
    if (name === undefined) {
      // Not a valid reference: Go copies the dollar sign through.
      out += '$';
      continue;
    }
    out += groupValue(match, name);
  }
  return out;
}

function groupValue(match: RegExpExecArray, name: string): string {
  if (/^\d+$/.test(name)) {
    const n = Number(name);
    return n < match.length ? (match[n] ?? '') : '';
  }
  return match.groups?.[name] ?? '';
}
