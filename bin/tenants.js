#!/usr/bin/env node
// `npx tenants <command>`: the tenants CLI (cli/main.ts) through tsx's loader, in this process,
// as `node --import tsx cli/main.ts` runs it. Unlike `npm run tenants --`, npx prints no banner
// on stdout, so the output pipes cleanly (`npx tenants sql <key> | psql`).
'use strict';
import('tsx').then(() => require('../cli/main'));
