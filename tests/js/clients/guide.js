// What the Python side hands over (tests/js/test_clients.py): the running
// mock, its token and the guide's operation and scenarios from
// contracts/documented.py, so the rules stay written in one place.
import { randomUUID } from "node:crypto";

export const url = process.env.SMTP_MOCK_URL;
export const token = process.env.SMTP_MOCK_TOKEN;
const guide = JSON.parse(process.env.SMTP_MOCK_GUIDE);
export const operation = guide.operation;
export const scenarioA = guide.scenarioA;
export const scenarioB = guide.scenarioB;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Headers of one test: the token and a session of its own (fresh state). */
export function headers(name) {
  return {
    authorization: `Bearer ${token}`,
    "x-mock-session": `${name}-${randomUUID()}`,
  };
}
