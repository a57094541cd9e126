// The admin console's own navigation, inside the site layout, on every /admin page.
import { define } from "../../lib/fresh/define.ts";

const SECTIONS = [
  { href: "/admin", label: "Console" },
  { href: "/admin/stocks", label: "Stocks" },
  { href: "/admin/models", label: "Models" },
  { href: "/admin/experiments", label: "Experiments" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/jobs", label: "Jobs" },
];

function isCurrent(href: string, path: string): boolean {
  return href === "/admin" ? path === href : path === href || path.startsWith(`${href}/`);
}

export default define.layout(({ Component, url }) => (
  <div class="admin">
    <nav class="admin-nav" aria-label="Admin">
      <ul>
        {SECTIONS.map(({ href, label }) => (
          <li key={href}>
            <a href={href} aria-current={isCurrent(href, url.pathname) ? "page" : undefined}>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
    <Component />
  </div>
));
