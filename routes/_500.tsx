import { HttpError } from "../lib/http/errors.ts";
import { define } from "../lib/fresh/define.ts";

const TITLES: Record<number, string> = {
  400: "That request didn't make sense",
  401: "Please sign in",
  403: "You can't open this page",
};

// Domain errors (HttpError) carry messages written for people; anything else may hold internals,
// so it gets a generic text (the details are in the server log).
export default define.errorPage(({ error, status }) => (
  <section class="message">
    <h1>{TITLES[status] ?? "Something went wrong"}</h1>
    <p>
      {error instanceof HttpError && status < 500
        ? error.message
        : "The page failed to load. Please try again in a moment."}
    </p>
    <p>
      <a href="/">Back to the dashboard</a>
    </p>
  </section>
));
