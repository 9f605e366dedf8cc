/**
 * Editing a tenant file in place (what offboard and offboard --cancel do):
 * one field changes, every other byte stays, and an addition is undone byte
 * for byte.
 */
import { readFileSync } from 'node:fs';
import { tenantFiles } from '../tenants/registry';
import { removeAddedField, setTenantField } from '../tenants/registry/edit';
import { DEFAULT_TENANTS_DIR } from '../tenants/registry/load';

const NOTE = 'set by a test; removeAddedField removes it';

const shapes: [string, string][] = [
  ...tenantFiles(DEFAULT_TENANTS_DIR).map((file): [string, string] => [`the shipped ${file.split('/').pop()}`, readFileSync(file, 'utf8')]),
  ['a last property without a trailing comma', "export default defineTenant({\n  key: 'a',\n  plan: 'free'\n});\n"],
  ['an object on one line', "export default defineTenant({ key: 'a', plan: 'free' });\n"],
  ['an empty object on one line', 'export default defineTenant({});\n'],
  ['an empty object over two lines', 'export default defineTenant({\n});\n'],
  ['a comment after the opening brace', "export default defineTenant({ // the acme shop\n  key: 'a', // the key\n});\n"],
  ['a first property on the line of the brace', "export default defineTenant({ key: 'a',\n    plan: 'free' });\n"],
  ['CRLF line ends', "export default defineTenant({\r\n  key: 'a',\r\n});\r\n"],
];

describe('setTenantField and removeAddedField', () => {
  test.each(shapes)('add a field and take it away again, byte for byte, in %s', (_shape, text) => {
    const edited = setTenantField(text, 'lifecycle', 'offboarding', NOTE);
    expect(edited).not.toBe(text);
    // Only added text: the original is the edited file with one stretch cut out.
    const at = [...text].findIndex((char, i) => edited[i] !== char);
    const cut = edited.length - text.length;
    expect(edited.slice(0, at === -1 ? text.length : at) + edited.slice((at === -1 ? text.length : at) + cut)).toBe(text);
    expect(edited).toContain(`lifecycle: 'offboarding',`);
    // Every line ends as the file's lines do.
    expect(edited.split('\n').filter((line) => line.endsWith('\r')).length).toBe(text.split('\n').filter((line) => line.endsWith('\r')).length + (text.includes('\r\n') ? 1 : 0));
    expect(removeAddedField(edited, 'lifecycle', NOTE)).toBe(text);
  });

  it('changes the value of a field the file gives, and leaves a field it did not add to setTenantField', () => {
    const text = "export default defineTenant({\n  key: 'a',\n  lifecycle: \"active\", // by hand\n});\n";
    const edited = setTenantField(text, 'lifecycle', 'offboarding', NOTE);
    expect(edited).toBe("export default defineTenant({\n  key: 'a',\n  lifecycle: 'offboarding', // by hand\n});\n");
    expect(removeAddedField(edited, 'lifecycle', NOTE)).toBeUndefined();
    expect(setTenantField(edited, 'lifecycle', 'active', NOTE)).toBe("export default defineTenant({\n  key: 'a',\n  lifecycle: 'active', // by hand\n});\n");
  });

  it('does not remove a line that moved since it was added, nor one with another note', () => {
    const edited = setTenantField("export default defineTenant({\n  key: 'a',\n});\n", 'lifecycle', 'offboarding', NOTE);
    const [open, added, key, ...rest] = edited.split('\n');
    expect(removeAddedField([open, key, added, ...rest].join('\n'), 'lifecycle', NOTE)).toBeUndefined();
    expect(removeAddedField(edited, 'lifecycle', 'another note')).toBeUndefined();
  });

  it('refuses a file without defineTenant({ ... })', () => {
    expect(() => setTenantField('export default {};\n', 'lifecycle', 'offboarding', NOTE, 'tenants/x.ts')).toThrow(
      'tenants/x.ts has no defineTenant({ ... }) call to edit; it must export default defineTenant({ ... })',
    );
  });
});
