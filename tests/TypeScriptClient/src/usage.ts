// Code an integrator writes against the generated types: if the schema changes under it (a field
// renamed, a type made nullable, a payload reshaped), tsc fails here.
import type {
  CreateAccountMutation,
  CreateAccountMutationVariables,
  OpportunityPageQuery,
  OpportunityPageQueryVariables,
  PipelineByStatusQuery,
  RecordByIdQuery,
} from '../generated/graphql';

export const firstPage: OpportunityPageQueryVariables = { first: 20, after: null, status: 'open' };

export function rows(page: OpportunityPageQuery): { id: string; name: string; amount: number | null; account: string | null }[] {
  return page.opportunities.edges.map(({ node }) => ({
    id: node.id,
    name: node.name ?? '',
    amount: node.amount?.amount ?? null,
    account: node.account?.name ?? null,
  }));
}

export function nextCursor(page: OpportunityPageQuery): string | null {
  return page.opportunities.pageInfo.hasNextPage ? page.opportunities.pageInfo.endCursor ?? null : null;
}

export function describe(record: RecordByIdQuery): string {
  const node = record.node;
  switch (node?.__typename) {
    case 'Opportunity':
      return `${node.name} v${node.version}: ${node.amount?.amount ?? 0}`;
    case 'Account':
      return `${node.name} (${node.industry ?? 'no industry'})`;
    default:
      return node ? node.id : 'not found';
  }
}

export function totals(result: PipelineByStatusQuery): Map<string, number> {
  const byStatus = new Map<string, number>();
  for (const group of result.opportunitiesAggregate.groups) {
    byStatus.set(group.key.status ?? '(none)', group.sum.amount ?? 0);
  }
  return byStatus;
}

export const newAccount: CreateAccountMutationVariables = { input: { name: '上海星辰科技有限公司' } };

export function created(result: CreateAccountMutation): string {
  const { account, userErrors } = result.createAccount;
  if (userErrors.length > 0) {
    throw new Error(userErrors.map((e) => `${e.field ?? '(request)'} ${e.code}: ${e.message}`).join('\n'));
  }
  return account!.id;
}
