import { define } from "../lib/fresh/define.ts";

export default define.app(({ Component }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="color-scheme" content="light dark" />
      <title>Craveny — AI stock insights</title>
      <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
      <link rel="stylesheet" href="/static/styles.css" />
    </head>
    <body>
      <Component />
    </body>
  </html>
));
