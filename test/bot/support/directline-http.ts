/** One Direct Line REST call against a running server, as the widget makes it. */
export async function callDirectLine(
  base: string,
  method: string,
  p: string,
  token?: string,
  body?: unknown,
) {
  const res = await fetch(`${base}/v3/directline${p}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
