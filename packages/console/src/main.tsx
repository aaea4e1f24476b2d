import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { loadConsoleSettings } from './api/console-settings.js';
import { ApiProvider } from './app/api-context.js';
import { App } from './app/app.js';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
loadConsoleSettings().then(
  (settings) =>
    root.render(
      <StrictMode>
        <ApiProvider settings={settings}>
          <App />
        </ApiProvider>
      </StrictMode>,
    ),
  (error: unknown) => root.render(<p role="alert">The console could not reach its server: {String(error)}</p>),
);
