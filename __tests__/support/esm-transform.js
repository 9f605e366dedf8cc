// Compiles an ES module dependency to CommonJS for Jest (postgrator ships ESM only).
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, { format: 'cjs', loader: 'js', sourcefile: filename, sourcemap: 'inline', target: 'node20' });
    return { code, map };
  },
};
