// The rule a new staff password must meet. Kept to one function so the platform-wide password
// policy (length, common passwords, strength) can replace its body without touching callers.

export interface PasswordProblem {
  code: string;
  message: string;
}

export const MIN_STAFF_PASSWORD_LENGTH = 12;

export function staffPasswordProblem(username: string, password: string): PasswordProblem | null {
  if ([...password].length < MIN_STAFF_PASSWORD_LENGTH) {
    return { code: 'PASSWORD_TOO_SHORT', message: `a password needs at least ${MIN_STAFF_PASSWORD_LENGTH} characters` };
  }
  if (password.trim().toLowerCase() === username.trim().toLowerCase()) {
    return { code: 'PASSWORD_IS_USERNAME', message: 'a password must not be the username' };
  }
  return null;
}
