// The admin console's own navigation, inside the site layout, on every /admin page.
import { NavLinks } from "../../components/NavLinks.tsx";
import { define } from "../../lib/fresh/define.ts";

const SECTIONS = [
  { href: "/admin", label: "Console" },
  { href: "/admin/stocks", label: "Stocks" },
  { href: "/admin/models", label: "Models" },
  { href: "/admin/experiments", label: "Experiments" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/jobs", label: "Jobs" },
];

export default define.layout(({ Component, url }) => (
  <div class="admin">
    <nav class="admin-nav" aria-label="Admin">
      <NavLinks links={SECTIONS} path={url.pathname} home="/admin" />
    </nav>
    <Component />
  </div>
));
