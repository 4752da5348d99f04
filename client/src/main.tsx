import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './shared/i18n/index.ts';
import './app/styles.css';
import { App } from './app/App.tsx';

const root = document.getElementById('root');
if (!root) throw new Error('index.html must contain <div id="root">');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
