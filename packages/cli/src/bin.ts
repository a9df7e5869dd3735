#!/usr/bin/env node
// The installed `userloop` command (package.json `bin`, bundled to dist/userloop.mjs).
import { cli } from './main.ts';

process.exitCode = await cli(process.argv.slice(2));
