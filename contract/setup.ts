import { Type, type Static } from 'typebox';
import { Nullable } from './common.ts';

// What kind of platform this is (GET /api/platform) and the one-time setup of a production
// start's first operator (POST /api/setup/operator).

export const PlatformInfo = Type.Object({
  demo: Type.Boolean({ description: 'the database was created as a demo: its demo logins have published passwords' }),
  demoSince: Nullable(Type.String({ format: 'date-time' })),
  needsSetup: Type.Boolean({ description: 'no operator exists yet: the first one is created with the setup token printed at start' }),
});
export type PlatformInfo = Static<typeof PlatformInfo>;

export const FirstOperatorBody = Type.Object(
  {
    setupToken: Type.String({ minLength: 1, maxLength: 200, description: 'the one-time token the platform printed at start' }),
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type FirstOperatorBody = Static<typeof FirstOperatorBody>;

export const FirstOperator = Type.Object({ user: Type.Object({ id: Type.String(), username: Type.String(), role: Type.Literal('operator') }) });
export type FirstOperator = Static<typeof FirstOperator>;
