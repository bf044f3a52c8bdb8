// Runs graphql-http's server audits against SMTP_MOCK_URL and prints one JSON
// line: [{id, name, status: "ok" | "warn" | "error" | "notice", reason}].
import { serverAudits } from 'graphql-http';

const url = process.env.SMTP_MOCK_URL;
const token = process.env.SMTP_MOCK_TOKEN;

// The audits send no token; the served mock requires one.
function fetchWithToken(input, init = {}) {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
}

const results = [];
for (const audit of serverAudits({ url, fetchFn: fetchWithToken })) {
  const result = await audit.fn();
  results.push({
    id: result.id,
    name: result.name,
    status: result.status,
    reason: result.reason ?? null,
  });
}
console.log(JSON.stringify(results));
