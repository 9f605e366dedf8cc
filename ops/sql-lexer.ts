/**
 * Just enough of PostgreSQL's lexer to find where statements begin: comments
 * (nested block comments too), string literals ('…', E'…' with backslash
 * escapes), quoted identifiers and dollar-quoted bodies ($$…$$, $fn1$…$fn1$)
 * are recognised left to right, so a keyword or a ';' inside any of them is
 * not taken for code.
 */

/** SQL with every literal, identifier in quotes, comment and dollar-quoted body blanked; string values kept apart. */
export interface BlankedSql {
  /**
   * The code: each string literal is `'S<n>'` and each dollar-quoted body `$S<n>$` (n indexes
   * {@link strings}), a quoted identifier `"word"` when it is a plain word and `"I"` otherwise,
   * a comment a space.
   */
  readonly code: string;
  readonly strings: readonly string[];
}

const IDENTIFIER_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;

/** The opening tag of a dollar-quoted body: `$$` or `$name$` (a name may hold digits, not start with one). */
const DOLLAR_TAG = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

/** Blanks what is not code in `sql` (see {@link BlankedSql}). */
export function blankLiterals(sql: string): BlankedSql {
  const strings: string[] = [];
  let code = '';
  let i = 0;
  const at = (offset = 0) => sql[i + offset] ?? '';
  while (i < sql.length) {
    const c = at();
    if (c === '-' && at(1) === '-') {
      while (i < sql.length && at() !== '\n') i += 1;
      code += ' ';
    } else if (c === '/' && at(1) === '*') {
      let depth = 0;
      do {
        const pair = at() + at(1);
        if (pair === '/*') depth += 1;
        if (pair === '*/') depth -= 1;
        i += pair === '/*' || pair === '*/' ? 2 : 1;
      } while (depth > 0 && i < sql.length);
      code += ' ';
    } else if (c === "'") {
      // E'…' (or e'…') takes backslash escapes, unless the E ends an identifier (name'…' is not valid SQL anyway).
      const escapes = /[Ee]/.test(sql[i - 1] ?? '') && !IDENTIFIER_CHAR.test(sql[i - 2] ?? '');
      let value = '';
      for (;;) {
        i += 1;
        while (i < sql.length && !(at() === "'" && at(1) !== "'")) {
          // A doubled quote, or in an E string a backslash, escapes the character after it.
          const escaped = at() === "'" || (escapes && at() === '\\');
          value += escaped ? at(1) : at();
          i += escaped ? 2 : 1;
        }
        i += 1;
        // Two literals separated by whitespace with a newline are one (and the second keeps the first's escapes).
        const continuation = /^[ \t\f\r]*\n\s*'/.exec(sql.slice(i));
        if (!continuation) break;
        i += continuation[0].length - 1;
      }
      code += `'S${strings.length}'`;
      strings.push(value);
    } else if (c === '"') {
      let name = '';
      i += 1;
      while (i < sql.length && !(at() === '"' && at(1) !== '"')) {
        name += at();
        i += at() === '"' ? 2 : 1;
      }
      i += 1;
      // A quoted plain word stays readable, still quoted ("role" is the setting role, "begin" no keyword); anything else is blanked.
      code += /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? ` "${name.toLowerCase()}" ` : ' "I" ';
    } else if (c === '$' && !IDENTIFIER_CHAR.test(sql[i - 1] ?? '') && DOLLAR_TAG.test(sql.slice(i))) {
      const tag = (DOLLAR_TAG.exec(sql.slice(i)) as RegExpExecArray)[0];
      const end = sql.indexOf(tag, i + tag.length);
      strings.push(sql.slice(i + tag.length, end < 0 ? sql.length : end));
      i = end < 0 ? sql.length : end + tag.length;
      code += `$S${strings.length - 1}$`;
    } else {
      code += c;
      i += 1;
    }
  }
  return { code, strings };
}

/**
 * The statements of a blanked script, each from its first word: split at
 * ';', with the body of a `BEGIN ATOMIC … END` function kept inside its
 * CREATE statement.
 */
export function statementsOf(code: string): string[] {
  const statements: string[] = [];
  let inAtomicBody = false;
  for (const segment of code.split(';')) {
    if (inAtomicBody) {
      if (/^\s*END\b/i.test(segment)) inAtomicBody = false;
      continue;
    }
    statements.push(segment);
    // A CREATE FUNCTION or PROCEDURE whose SQL-standard body goes on past this ';' (an empty body, BEGIN ATOMIC END, does not).
    inAtomicBody =
      /^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:FUNCTION|PROCEDURE)\b[\s\S]*\bBEGIN\s+ATOMIC\b/i.test(segment) && !/\bBEGIN\s+ATOMIC\s+END\s*$/i.test(segment);
  }
  return statements;
}
