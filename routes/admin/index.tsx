// The admin console's home: what an admin can run from here.
import { define } from "../../lib/fresh/define.ts";

const SECTIONS = [
  {
    href: "/admin/stocks",
    label: "Stocks",
    about: "Add stocks, edit their aliases, activate them",
  },
  {
    href: "/admin/models",
    label: "Models",
    about: "Models and prompt versions; test-run a prompt",
  },
  { href: "/admin/experiments", label: "Experiments", about: "A/B experiments and their results" },
  { href: "/admin/users", label: "Users", about: "Roles, and disabling accounts" },
  { href: "/admin/jobs", label: "Jobs", about: "Recent runs, errors; run a job now" },
];

export default define.page(({ state }) => (
  <section>
    <h1>Admin console</h1>
    <p class="muted">Signed in as {state.user?.email}.</p>
    <ul class="admin-sections">
      {SECTIONS.map(({ href, label, about }) => (
        <li key={href}>
          <a href={href}>{label}</a> — {about}
        </li>
      ))}
    </ul>
  </section>
));
