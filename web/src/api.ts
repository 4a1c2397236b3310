// The API client: JSON over fetch with the session's bearer token. A refusal (400, 403, 404, 409,
// ...) becomes an ApiError carrying the server's own message, which the pages show as it is; a 401
// ends the session and returns to the login page.
import { signOut, token } from './session';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface Page<T> {
  items: T[];
  page: number;
  page_size: number;
  total: number;
}

let onUnauthenticated: () => void = () => {};
export function whenUnauthenticated(callback: () => void): void {
  onUnauthenticated = callback;
}

export async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const bearer = token();
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    throw new ApiError(0, 'network', `the server cannot be reached (${String(error)})`);
  }
  const text = await response.text();
  let document: unknown = null;
  try {
    document = text ? JSON.parse(text) : null;
  } catch {
    document = null;
  }
  if (!response.ok) {
    const error = (document as { error?: { code?: string; message?: string; field?: string } } | null)?.error;
    if (response.status === 401 && path !== '/api/login') {
      signOut();
      onUnauthenticated();
    }
    throw new ApiError(
      response.status,
      error?.code ?? 'http',
      error?.message ?? `HTTP ${response.status}`,
      error?.field,
    );
  }
  return document as T;
}

export const get = <T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> => {
  const parameters = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') parameters.set(name, String(value));
  }
  const search = parameters.toString();
  return request<T>('GET', search ? `${path}?${search}` : path);
};

export const post = <T>(path: string, body: unknown): Promise<T> => request<T>('POST', path, body);

// A POST of text (the fee center's CSV) answered with JSON; refusals as for request().
export async function postText<T>(path: string, body: string, contentType: string): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': contentType };
  const bearer = token();
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  const response = await fetch(path, { method: 'POST', headers, body });
  const document = (await response.json().catch(() => null)) as
    | (T & { error?: { code?: string; message?: string; field?: string } })
    | null;
  if (!response.ok) {
    const error = document?.error;
    throw new ApiError(response.status, error?.code ?? 'http', error?.message ?? `HTTP ${response.status}`, error?.field);
  }
  return document as T;
}

// A document the server renders itself (a printable notice as HTML), with the session's token.
export async function getText(path: string): Promise<string> {
  const headers: Record<string, string> = {};
  const bearer = token();
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  const response = await fetch(path, { headers });
  const text = await response.text();
  if (!response.ok) {
    let message = `HTTP ${response.status}`;
    let code = 'http';
    try {
      const error = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
      message = error?.message ?? message;
      code = error?.code ?? code;
    } catch {
      // Not JSON: the status says it.
    }
    throw new ApiError(response.status, code, message);
  }
  return text;
}
