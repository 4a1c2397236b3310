// The signed-in user and their bearer token, kept in sessionStorage (gone when the tab closes).
export interface User {
  id: number;
  username: string;
  role: 'clerk' | 'analyst' | 'inspector' | 'supervisor' | 'administrator';
  unit_id: string;
}

const tokenKey = 'gridaudit.token';
const userKey = 'gridaudit.user';

export function token(): string | null {
  return sessionStorage.getItem(tokenKey);
}

export function user(): User | null {
  const text = sessionStorage.getItem(userKey);
  return text ? (JSON.parse(text) as User) : null;
}

export function signIn(newToken: string, signedIn: User): void {
  sessionStorage.setItem(tokenKey, newToken);
  sessionStorage.setItem(userKey, JSON.stringify(signedIn));
}

export function signOut(): void {
  sessionStorage.removeItem(tokenKey);
  sessionStorage.removeItem(userKey);
}

// The access table of docs/users.md: which role holds which permission (the server decides; this
// only hides buttons that would be refused).
const permissions: Record<string, User['role'][]> = {
  open_case: ['clerk', 'analyst', 'supervisor', 'administrator'],
  dismiss_finding: ['analyst', 'supervisor', 'administrator'],
  assign_case: ['supervisor', 'administrator'],
  work_case: ['analyst', 'inspector', 'supervisor', 'administrator'],
  conclude_case: ['inspector', 'supervisor', 'administrator'],
  return_conclusion: ['supervisor', 'administrator'],
  approve_back_billing: ['supervisor', 'administrator'],
  record_payment: ['clerk', 'supervisor', 'administrator'],
};

export function may(permission: keyof typeof permissions): boolean {
  const current = user();
  return !!current && permissions[permission].includes(current.role);
}
