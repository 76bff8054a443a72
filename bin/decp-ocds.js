#!/usr/bin/env node
import { main } from '../dist/cli/main.js';
// A closed pipe (`decp-ocds convert … | head`) ends the command quietly, as Unix tools do.
process.stdout.on('error', (err) => (err.code === 'EPIPE' ? process.exit(0) : undefined));
process.exitCode = await main(process.argv.slice(2));
