// The `tenants` process (bin/tenants.js; `npm run tenants` runs it with node --import tsx): the program on the
// process's own streams, its exit code as the process's. Tests run the program in-process
// (cli/program.ts) and never import this file.
import { EXIT } from './errors';
import { processIo } from './io';
import { runTenants } from './program';

// A reader that stops early (`| head -1`, psql stopping at an error) closes the pipe, and the next
// write fails with EPIPE. Stop there, quietly and with status 0 rather than the shell's 141 for a
// process SIGPIPE ended: under `set -o pipefail` (CI scripts) a 141 would fail a pipeline in which
// nothing went wrong, and when the reader did fail, its own status says so.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.ok);
    throw error;
  });
}

void runTenants(process.argv.slice(2), processIo()).then((code) => {
  // Success ends when the work is done; a failure ends at once, as it always has.
  if (code === 0) process.exitCode = 0;
  else process.exit(code);
});
