/**
 * `concurrency:` groups as GitHub runs them: per group at most one running and one pending; a newer
 * entrant cancels the pending one, and with `cancel-in-progress` also the running one.
 */

/** Something that can hold a group: a run or a job. */
export interface GroupHolder {
  /** Cancels the holder while it runs (cancel-in-progress). */
  cancel(reason: string): void;
}

interface Waiting {
  holder: GroupHolder;
  resolve(acquired: boolean): void;
}

/** The groups of one repository. */
export class ConcurrencyGroups {
  private groups = new Map<string, { running?: GroupHolder | undefined; pending?: Waiting | undefined }>();

  /**
   * Enters `group`. Resolves `true` when the holder may run, `false` when a newer entrant replaced it
   * while it waited (it is then cancelled without running).
   */
  acquire(group: string, cancelInProgress: boolean, holder: GroupHolder): Promise<boolean> {
    let g = this.groups.get(group);
    if (!g) this.groups.set(group, (g = {}));
    if (g.pending) {
      g.pending.resolve(false);
      g.pending = undefined;
    }
    if (cancelInProgress && g.running) g.running.cancel(`Canceling since a higher priority waiting request for '${group}' exists`);
    if (!g.running) {
      g.running = holder;
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolve) => {
      g.pending = { holder, resolve };
    });
  }

  /** Leaves `group`; the pending holder, if any, starts. */
  release(group: string, holder: GroupHolder): void {
    const g = this.groups.get(group);
    if (!g || g.running !== holder) return;
    const next = g.pending;
    g.pending = undefined;
    g.running = next?.holder;
    if (!next) this.groups.delete(group);
    next?.resolve(true);
  }
}
