/**
 * Changes one field of a tenant file in place, keeping everything else
 * (comments, formatting) as the user wrote it, and undoes such a change byte
 * for byte.
 */
import * as ts from 'typescript';
import { editErrors } from './messages';

/** The registry's two kinds of file, by the function their definition is passed to. */
export type DefinitionCall = 'defineTenant' | 'defineServer';

/** Where the object passed to `defineTenant(...)` (or `defineServer(...)`) is in a source file. */
function definitionObject(source: ts.SourceFile, call: DefinitionCall = 'defineTenant'): ts.ObjectLiteralExpression | undefined {
  let found: ts.ObjectLiteralExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === call) {
      let [argument] = node.arguments;
      // `{ ... } as const`, `{ ... } satisfies T`, `({ ... })`: the object inside.
      while (argument && (ts.isAsExpression(argument) || ts.isSatisfiesExpression(argument) || ts.isParenthesizedExpression(argument))) argument = argument.expression;
      if (argument && ts.isObjectLiteralExpression(argument)) found = argument;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The parsed file, its definition object and the top-level property `field` of it, if any. */
function locate(text: string, field: string, fileName: string) {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const object = definitionObject(source);
  if (!object) throw new Error(editErrors.noDefineTenant(fileName));
  const property = object.properties.find(
    (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === field,
  );
  return { source, object, property };
}

function literal(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * Where {@link setTenantField} adds a field, and the exact text it adds: a
 * line of its own right after the line of the object's `{` (so no other byte
 * changes, whatever the commas and comments around), or, in an object on one
 * line, the text right after the `{`. `note` marks the addition as a comment.
 */
function addition(text: string, source: ts.SourceFile, object: ts.ObjectLiteralExpression, field: string, value: string, note: string) {
  const open = object.getStart(source) + 1;
  const lineOf = (position: number) => source.getLineAndCharacterOfPosition(position).line;
  if (lineOf(open) === lineOf(object.getEnd())) return { at: open, added: ` ${field}: ${literal(value)}, /* ${note} */` };
  const [first] = object.properties;
  const indent = first && lineOf(first.getStart(source)) !== lineOf(open)
    ? ' '.repeat(source.getLineAndCharacterOfPosition(first.getStart(source)).character)
    : `${' '.repeat(source.getLineAndCharacterOfPosition(object.getStart(source)).character)}  `;
  // Before the line end of the `{` line, so that the added line ends as the others do (LF or CRLF).
  const lineEnd = text.indexOf('\n', open);
  const eol = text[lineEnd - 1] === '\r' ? '\r\n' : '\n';
  return { at: lineEnd - eol.length + 1, added: `${eol}${indent}${field}: ${literal(value)}, // ${note}` };
}

/**
 * Sets a top-level string field of the tenant definition in `text`: replaces
 * its value when present, else adds it (see {@link addition}) with `note` as
 * a comment, by which {@link removeAddedField} finds it again. Throws when the
 * file has no `defineTenant({ ... })`.
 */
export function setTenantField(text: string, field: string, value: string, note: string, fileName = 'tenant.ts'): string {
  const { source, object, property } = locate(text, field, fileName);
  if (property) return text.slice(0, property.initializer.getStart(source)) + literal(value) + text.slice(property.initializer.getEnd());
  const { at, added } = addition(text, source, object, field, value, note);
  return `${text.slice(0, at)}${added}${text.slice(at)}`;
}

/**
 * Undoes {@link setTenantField}'s addition of `field` (with that `note`):
 * the file as it was before, byte for byte. Undefined when the field is not
 * there as that call added it (the user wrote it, or moved or edited it).
 */
export function removeAddedField(text: string, field: string, note: string, fileName = 'tenant.ts'): string | undefined {
  const { source, object, property } = locate(text, field, fileName);
  if (!property || !ts.isStringLiteral(property.initializer)) return undefined;
  // The addition is computed from the lines around it, which it left as they were: the same text at the same place.
  const { at, added } = addition(text, source, object, field, property.initializer.text, note);
  return text.slice(at, at + added.length) === added ? `${text.slice(0, at)}${text.slice(at + added.length)}` : undefined;
}

/** A value a field can be set to: what server and tenant files hold. */
export type FieldValue = string | number | boolean | readonly string[];

function render(value: FieldValue): string {
  if (typeof value === 'string') return literal(value);
  if (Array.isArray(value)) return `[${value.map((v) => literal(v)).join(', ')}]`;
  return String(value);
}

/** The property named `name` of an object literal, if written as `name: value`. */
function propertyOf(object: ts.ObjectLiteralExpression, name: string): ts.PropertyAssignment | undefined {
  return object.properties.find(
    (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name,
  );
}

/**
 * Sets a field of the definition in `text`, at a path of nested object
 * literals (`['database', 'server']`): replaces its value when present, else
 * adds `name: value` after the object's last property (on a line of its own
 * in an object of several lines). Everything else stays as written. Throws
 * when the file has no such call, or the path passes through something that
 * is not an object literal written in the file.
 */
export function setDefinitionField(text: string, call: DefinitionCall, path: readonly string[], value: FieldValue, fileName: string): string {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  let object = definitionObject(source, call);
  if (!object) throw new Error(editErrors.noDefinition(fileName, call));
  for (const name of path.slice(0, -1)) {
    const initializer: ts.Expression | undefined = propertyOf(object, name)?.initializer;
    if (!initializer || !ts.isObjectLiteralExpression(initializer)) throw new Error(editErrors.notAnObject(fileName, name));
    object = initializer;
  }
  const name = path[path.length - 1];
  const existing = propertyOf(object, name);
  if (existing) return text.slice(0, existing.initializer.getStart(source)) + render(value) + text.slice(existing.initializer.getEnd());
  const entry = `${name}: ${render(value)}`;
  const last = object.properties[object.properties.length - 1];
  if (!last) return `${text.slice(0, object.getStart(source) + 1)} ${entry} ${text.slice(object.getEnd() - 1)}`;
  const lineOf = (position: number) => source.getLineAndCharacterOfPosition(position).line;
  const after = last.getEnd();
  const comma = text.slice(after).match(/^\s*,/);
  const end = comma ? after + comma[0].length : after;
  if (lineOf(object.getStart(source)) === lineOf(object.getEnd())) return `${text.slice(0, end)}${comma ? '' : ','} ${entry}${comma ? ',' : ''}${text.slice(end)}`;
  const indent = ' '.repeat(source.getLineAndCharacterOfPosition(last.getStart(source)).character);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return `${text.slice(0, end)}${comma ? '' : ','}${eol}${indent}${entry},${text.slice(end)}`;
}
