/**
 * Turns the position where the grammar stopped into Prometheus' wording for the common syntax
 * errors (unclosed brackets, unknown functions, stray tokens). Pure: input text in, message out.
 */

const GROUPING_KEYWORDS = /\b(by|without|on|ignoring|group_left|group_right)\s*\($/;

/** The innermost bracket opened before `end` and not closed, skipping quoted strings. */
function unclosedBracket(text: string): { char: string; at: number } | undefined {
  const stack: { char: string; at: number }[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\' && c !== '`') i++;
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') stack.push({ char: c, at: i });
    else if (c === ')' || c === ']' || c === '}') stack.pop();
  }
  return stack[stack.length - 1];
}

export function describeSyntaxError(input: string, pos: number): { pos: number; message: string } {
  const before = input.slice(0, pos);
  const rest = input.slice(pos).trimStart();
  const open = unclosedBracket(before);
  if (rest === '') {
    if (open?.char === '(') return { pos, message: 'unclosed left parenthesis' };
    if (open?.char === '[') return { pos, message: 'unclosed left bracket' };
    if (open?.char === '{') return { pos, message: 'unexpected end of input inside braces' };
    if (/\boffset\s*$/.test(before))
      return { pos, message: 'unexpected end of input in offset, expected duration' };
    return { pos, message: 'unexpected end of input' };
  }
  if (rest.startsWith('(')) {
    if (open?.char === '(' && GROUPING_KEYWORDS.test(input.slice(0, open.at + 1))) {
      return { pos, message: 'unexpected "(" in grouping opts, expected "," or ")"' };
    }
    // The grammar knows every function by name: `foo(` is an identifier and a stray paren.
    const callee = /(?<![\w.:])([a-zA-Z_][a-zA-Z0-9_]*)\s*$/.exec(before);
    if (callee && !/^(by|without|on|ignoring|group_left|group_right|bool)$/.test(callee[1])) {
      return { pos: callee.index, message: `unknown function with name ${JSON.stringify(callee[1])}` };
    }
  }
  const token =
    /^([a-zA-Z_:][\w:]*|\d[\w.]*|"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|\S)/.exec(rest)?.[0] ?? rest[0];
  if (open?.char === '{' && /(=|!=|=~|!~)\s*$/.test(before)) {
    return { pos, message: `unexpected ${JSON.stringify(token)} in label matching, expected string` };
  }
  if (open?.char === '{' && /^[^\w\s"'`,}=!]$/.test(token)) {
    return { pos, message: `unexpected character inside braces: '${token}'` };
  }
  if (/^[a-zA-Z_:]/.test(token)) return { pos, message: `unexpected identifier ${JSON.stringify(token)}` };
  if (/^[-+*/%^=!<>]$/.test(token)) return { pos, message: `unexpected <op:${token}>` };
  return { pos, message: `unexpected ${JSON.stringify(token)}` };
}
