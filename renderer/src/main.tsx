import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { preload } from './ipc/client.js';
import { startApp } from './start.js';
import './styles/app.css';

const root = document.getElementById('root');
if (root) {
  void startApp(preload());
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
