// chart.js with only what the interactive line chart draws (line datasets on a category and a
// linear axis, tooltip, legend) registered, so the bundle leaves out the rest of the library.
// Browser only: islands/InteractiveChart.tsx imports it dynamically once it has hydrated.
import {
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";

Chart.register(
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  Legend,
);

export { Chart };
