// The GraphiQL page of CrmEngine.Host, bundled with everything it needs: the page makes no request
// to any other server. The host's page (GraphiQLPage.cs) is served at the GraphQL endpoint itself,
// so queries go to the page's own path; Monaco's workers are files beside this module.
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import 'graphiql/style.css';

const workers = { json: 'json.worker.js', graphql: 'graphql.worker.js' };
globalThis.MonacoEnvironment = {
  getWorker(_workerId, label) {
    return new Worker(new URL(workers[label] ?? 'editor.worker.js', import.meta.url));
  },
};

const container = document.getElementById('graphiql');
const fetcher = createGraphiQLFetcher({ url: window.location.pathname });
createRoot(container).render(
  createElement(GraphiQL, {
    fetcher,
    defaultHeaders: '{"Authorization": "Bearer "}',
    shouldPersistHeaders: true,
  }),
);
