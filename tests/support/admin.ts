// Requests as an admin: an admin account created in the app's database and signed in through
// /api/auth/login; the bearer token it got rides on every admin request.
import { startTestApp, type TestApp, type TestAppOptions } from "./app.ts";
import { bearerHeaders, createTestUser, signIn } from "./auth.ts";

/** JSON request headers with a fresh admin's bearer token. */
export async function adminHeaders(app: TestApp): Promise<Record<string, string>> {
  const admin = await createTestUser(app.context, { role: "admin" });
  return bearerHeaders((await signIn(app, admin)).accessToken);
}

export interface AdminTestApp extends TestApp {
  adminHeaders: Record<string, string>;
}

/** A test app (startTestApp) with an admin signed in. */
export async function startAdminTestApp(options: TestAppOptions = {}): Promise<AdminTestApp> {
  const app = await startTestApp(options);
  try {
    return { ...app, adminHeaders: await adminHeaders(app) };
  } catch (error) {
    await app.close();
    throw error;
  }
}
