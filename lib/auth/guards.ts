// Type guards for signed-in state: a route that calls one has proved to the compiler (and at run
// time) that it checked its user. Page errors become a /login redirect (401) or the 403 page
// (lib/fresh/error_policy.ts).
import { Forbidden, Unauthorized } from "../http/errors.ts";
import type { State } from "../state.ts";
import type { AuthUser } from "./user.ts";

export type SignedInState = State & { user: AuthUser };
export type AdminState = State & { user: AuthUser & { role: "admin" } };

export function assertSignedIn(state: State): asserts state is SignedInState {
  if (!state.user) throw new Unauthorized();
}

export function assertAdmin(state: State): asserts state is AdminState {
  assertSignedIn(state);
  if (state.user.role !== "admin") throw new Forbidden("This page is for administrators.");
}
