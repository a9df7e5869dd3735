// @userloop/core: everything the userloop actions share.
export * from './octokit.ts';
export * from './context.ts';
export * from './config/index.ts';
export * from './runtime.ts';
export * from './markers.ts';
export * from './comments.ts';
export * from './markdown.ts';
export * from './metrics.ts';
export * from './release-range.ts';
export * from './semver.ts';
export * from './glob.ts';
export * from './ledger.ts';
export * from './priority.ts';
export * from './pacer.ts';
export { z } from 'zod';
