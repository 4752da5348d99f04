import { Type, type Static } from 'typebox';

// A simulation (仿真环境): market time stands still until an operator moves it forward.

export const SimulationClock = Type.Object({
  now: Type.String({ format: 'date-time', description: 'market time now' }),
});
export type SimulationClock = Static<typeof SimulationClock>;

export const AdvanceClockBody = Type.Object(
  { to: Type.String({ format: 'date-time', description: 'the market time to move to; every phase, deadline and session due on the way runs in order' }) },
  { additionalProperties: false },
);
export type AdvanceClockBody = Static<typeof AdvanceClockBody>;
