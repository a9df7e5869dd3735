// The action's view of its config section (types only; the schema lives in core).
import type { UserloopConfig } from '@userloop/core';

/** The `draft-release-notes` section after defaults. */
export type DraftReleaseNotesConfig = UserloopConfig['draft-release-notes'];

/** One category of the notes after defaults. */
export type ReleaseCategory = DraftReleaseNotesConfig['categories'][number];
