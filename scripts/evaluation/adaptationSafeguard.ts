// Choosing the adaptation's safeguard by simulation (issue 21): every simulated researcher's adaptation was
// written whatever the safeguard said (`adapt --apply-anyway`), so each candidate rule can be scored on the same
// draws: how often an accepted adaptation loses on the uncorrected images, how often a refused one forfeits a
// gain, the mean gain and the worst draw. The rule kept has the best mean gain whose worst draw stays above -1 point.
// Two kinds of rule: McNemar's count of faces only one side gets right (shipped), and the cross-validated
// log-likelihood gain in standard errors (more power on few corrections, but it also rewards a fit that only
// grows more confident where the model is already right).
import { safeguardAccepts, SAFEGUARD_Z } from '../../src/core/adaptation/learnAdaptation';
import type { SimulatedDraw } from './adaptationSimulation';
import { signedPoints } from './adaptationSimulation';
import { percent, table } from './tables';

/** McNemar thresholds tried, in standard deviations (-Infinity: always apply a cross-validated fit). */
const CANDIDATE_Z = [-Infinity, 0, 0.5, 1, 1.645, 2.33];
/** Log-likelihood thresholds tried, in standard errors. */
const CANDIDATE_LIKELIHOOD_Z = [0, 1, 2, 3];
const WORST_ALLOWED = -0.01;

interface Rule {
  name: string;
  shipped: boolean;
  accepts: (draw: SimulatedDraw) => boolean;
}

const RULES: readonly Rule[] = [
  ...CANDIDATE_Z.map((z) => ({ name: z === -Infinity ? 'always' : `z > ${z}`, shipped: z === SAFEGUARD_Z, accepts: (d: SimulatedDraw) => z === -Infinity || safeguardAccepts(d.onlyAdapted, d.onlyBase, z) })),
  ...CANDIDATE_LIKELIHOOD_Z.map((z) => ({ name: `log-likelihood z > ${z}`, shipped: false, accepts: (d: SimulatedDraw) => d.likelihoodZ > z })),
];

interface RuleFigures {
  rule: Rule;
  meanGain: number;
  worst: number;
  applied: number;
  acceptedLost: number;
  refusedForfeited: number;
}

function scoreRule(draws: readonly SimulatedDraw[], rule: Rule): RuleFigures {
  const verdicts = draws.map((d) => ({ d, accepted: d.fitted && rule.accepts(d) }));
  const gains = verdicts.map(({ d, accepted }) => (accepted ? d.gain : 0));
  const accepted = verdicts.filter((v) => v.accepted);
  const refused = verdicts.filter((v) => !v.accepted && v.d.fitted);
  return {
    rule,
    meanGain: gains.reduce((a, b) => a + b, 0) / Math.max(1, gains.length),
    worst: Math.min(...gains),
    applied: accepted.length,
    acceptedLost: accepted.filter((v) => v.d.gain < 0).length / Math.max(1, accepted.length),
    refusedForfeited: refused.filter((v) => v.d.gain > 0).length / Math.max(1, refused.length),
  };
}

/** The rules' table over all draws and the rule it picks, then per set and share what the picked rule gives. */
export function safeguardReport(draws: readonly SimulatedDraw[]): string {
  const rules = RULES.map((rule) => scoreRule(draws, rule));
  const allowed = rules.filter((r) => r.worst >= WORST_ALLOWED);
  const best = (allowed.length > 0 ? allowed : rules).reduce((a, b) => (b.meanGain > a.meanGain + 1e-9 ? b : a));
  const shippedRule = RULES.find((r) => r.shipped)!;
  const alwaysRule = RULES[0]!;
  const rulesTable = table(
    ['safeguard', 'applied', 'accepted and lost', 'refused, would have gained', 'mean gain', 'worst draw'],
    rules.map((r) => [`${r.rule.name}${r.rule.shipped ? ' (shipped)' : ''}${r === best ? ' ← best' : ''}`, `${r.applied} of ${draws.length}`, percent(r.acceptedLost), percent(r.refusedForfeited), signedPoints(r.meanGain), signedPoints(r.worst)]),
  );
  const rows: string[][] = [];
  for (const set of [...new Set(draws.map((d) => d.set))]) {
    for (const share of [...new Set(draws.map((d) => d.share))]) {
      const these = draws.filter((d) => d.set === set && d.share === share);
      const shipped = scoreRule(these, shippedRule);
      const forced = scoreRule(these, alwaysRule);
      rows.push([set, percent(share, 0), `${shipped.applied} of ${these.length}`, signedPoints(shipped.meanGain), signedPoints(shipped.worst), signedPoints(forced.meanGain), [...new Set(these.map((d) => d.form))].join(', ')]);
    }
  }
  // The goal is judged on these kinds of face (fer2013-val is where the default was tuned).
  const goalSets = ['ckplus-dev', 'jaffe-dev', 'wild-dev'];
  for (const share of [...new Set(draws.map((d) => d.share))]) {
    const these = draws.filter((d) => d.share === share && goalSets.includes(d.set));
    if (these.length === 0) continue;
    const shipped = scoreRule(these, shippedRule);
    rows.push(['mean of CK+, JAFFE, wild', percent(share, 0), `${shipped.applied} of ${these.length}`, signedPoints(shipped.meanGain), signedPoints(shipped.worst), signedPoints(scoreRule(these, alwaysRule).meanGain), '']);
  }
  const perSet = table(['set', 'corrected', `applied (${shippedRule.name})`, 'mean gain', 'worst draw', 'mean gain if always applied', 'forms chosen'], rows);
  return `Safeguard rules over ${draws.length} draws:\n${rulesTable}\n\nPer set with the shipped safeguard:\n${perSet}`;
}
