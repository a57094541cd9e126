import { define } from "../lib/fresh/define.ts";

export default define.page<unknown>(({ url }) => (
  <section class="message">
    <h1>Page not found</h1>
    <p>
      Nothing lives at <code>{url.pathname}</code>.
    </p>
    <p>
      <a href="/">Back to the dashboard</a>
    </p>
  </section>
));
