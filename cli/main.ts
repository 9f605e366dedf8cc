// The `tenants` process (bin/tenants.js; `npm run tenants` runs it with node --import tsx): the program on the
// process's own streams, its exit code as the process's. Tests run the program in-process
// (cli/program.ts) and never import this file.
import { processIo } from './io';
import { runTenants } from './program';

void runTenants(process.argv.slice(2), processIo()).then((code) => {
  // Success ends when the work is done; a failure ends at once, as it always has.
  if (code === 0) process.exitCode = 0;
  else process.exit(code);
});
