// Which way a metric improves, shared by the compare page's table and the sweep page's parallel coordinates.
// Only the scores whose direction is known get a "best": FID lower, IS, precision, recall and accuracy higher.
const D2CMetrics = (() => {
  const LOWER = [/^fid-/, /loss$/];
  const HIGHER = [/^is-/, /^precision-/, /^recall-/, /accuracy$/];
  // an evaluate node's spread and interval columns: shown under their metric, never scored on their own
  const AUXILIARY = /^(fid_std_boot|fid_ci_low|fid_ci_high|is_std)-/;

  /** 'lower', 'higher', or null where the name says nothing. */
  function direction(name) {
    if (LOWER.some(r => r.test(name))) return 'lower';
    if (HIGHER.some(r => r.test(name))) return 'higher';
    return null;
  }

  function auxiliary(name) { return AUXILIARY.test(name); }

  /** The best of `values` (numbers, nulls skipped) in the metric's direction; null when none or unknown. */
  function best(name, values) {
    const dir = direction(name);
    const nums = values.filter(v => typeof v === 'number' && Number.isFinite(v));
    if (!dir || !nums.length) return null;
    return dir === 'lower' ? Math.min(...nums) : Math.max(...nums);
  }

  return { direction, auxiliary, best };
})();
