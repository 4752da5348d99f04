import type { SurveillanceConfig } from './config.ts';
import type { AlertDraft, Rule, SurveillanceEvent } from './types.ts';
import { washTrading } from './rules/wash-trading.ts';
import { spoofing } from './rules/spoofing.ts';
import { abnormalPrice } from './rules/abnormal-price.ts';
import { concentration } from './rules/concentration.ts';
import { markingTheClose } from './rules/marking-the-close.ts';

interface Bound {
  evaluate(event: SurveillanceEvent, relatedPairs: ReadonlySet<string>): AlertDraft[];
}

function bind<S, C>(rule: Rule<S, C>, config: C, sessions: SurveillanceConfig['sessions']): Bound {
  const state = rule.initialState();
  return { evaluate: (event, relatedPairs) => rule.evaluate(state, event, { config, sessions, relatedPairs }) };
}

/** Every rule with its own configuration and state, fed the same events in commit order. */
export class RuleSet {
  private readonly rules: Bound[];

  constructor(config: SurveillanceConfig) {
    this.rules = [
      bind(washTrading, config.washTrading, config.sessions),
      bind(spoofing, config.spoofing, config.sessions),
      bind(abnormalPrice, config.abnormalPrice, config.sessions),
      bind(concentration, config.concentration, config.sessions),
      bind(markingTheClose, config.markingTheClose, config.sessions),
    ];
  }

  evaluate(event: SurveillanceEvent, relatedPairs: ReadonlySet<string>): AlertDraft[] {
    return this.rules.flatMap((rule) => rule.evaluate(event, relatedPairs));
  }
}
