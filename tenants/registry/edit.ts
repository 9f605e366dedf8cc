/**
 * Changes one field of a tenant file in place, keeping everything else
 * (comments, formatting) as the user wrote it.
 */
import * as ts from 'typescript';
import { editErrors } from '../../constructs/errors';

/** Where the object passed to `defineTenant(...)` is in a source file. */
function definitionObject(source: ts.SourceFile): ts.ObjectLiteralExpression | undefined {
  let found: ts.ObjectLiteralExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'defineTenant') {
      const [argument] = node.arguments;
      if (argument && ts.isObjectLiteralExpression(argument)) found = argument;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * Sets a top-level string field of the tenant definition in `text`: replaces
 * its value when present, else adds it as the last property. Throws when the
 * file has no `defineTenant({ ... })`.
 */
export function setTenantField(text: string, field: string, value: string, fileName = 'tenant.ts'): string {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const object = definitionObject(source);
  if (!object) throw new Error(editErrors.noDefineTenant(fileName));
  const literal = `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const existing = object.properties.find(
    (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === field,
  );
  if (existing) {
    return text.slice(0, existing.initializer.getStart(source)) + literal + text.slice(existing.initializer.getEnd());
  }
  const last = object.properties[object.properties.length - 1];
  const lineOf = (position: number) => source.getLineAndCharacterOfPosition(position).line;
  if (!last || lineOf(last.getEnd()) === lineOf(object.getEnd())) {
    // A one-line object: add the field on the same line.
    const at = last ? last.getEnd() : object.getStart(source) + 1;
    return `${text.slice(0, at)}${last ? ',' : ''} ${field}: ${literal}${last ? '' : ' '}${text.slice(at)}`;
  }
  // A new line after the last property's line (after any comment on it), indented alike.
  const indent = ' '.repeat(source.getLineAndCharacterOfPosition(last.getStart(source)).character);
  const lineEnd = text.indexOf('\n', last.getEnd());
  const comma = /^\s*,/.test(text.slice(last.getEnd(), lineEnd)) ? '' : ',';
  return `${text.slice(0, last.getEnd())}${comma}${text.slice(last.getEnd(), lineEnd)}\n${indent}${field}: ${literal},${text.slice(lineEnd)}`;
}
