// Preloaded (`node --import`) into every Node.js process a platform job starts: the runner's wall clock is the
// emulated platform's clock. `new Date()` and `Date.now()` read the store's time at the job's start plus the
// real time elapsed since, so an action dates what it writes as GitHub's clock would. Durations are unchanged.
const offset = Number(process.env.GITHUB_SIM_CLOCK_OFFSET_MS);
if (Number.isFinite(offset) && offset !== 0) {
  const RealDate = Date;
  const now = () => RealDate.now() + offset;
  globalThis.Date = new Proxy(RealDate, {
    construct: (target, args, newTarget) => Reflect.construct(target, args.length > 0 ? args : [now()], newTarget),
    apply: () => new RealDate(now()).toString(),
    get: (target, prop, receiver) => (prop === 'now' ? now : Reflect.get(target, prop, receiver)),
  });
}
