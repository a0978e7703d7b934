// The `mine` filter: which owner strings stand for the git user.
import * as assert from 'node:assert/strict';
import { identityHandles, isMine } from '../../src/core/ownerMatch';

describe('ownerMatch', () => {
  const me = identityHandles({ name: 'Alice Smith', email: 'alice@example.com', extra: ['@payments'] });

  it('matches the git name, email, email local part and handles from ownership.me, ignoring case and @', () => {
    assert.ok(isMine(['Alice Smith'], me));
    assert.ok(isMine(['ALICE@example.com'], me));
    assert.ok(isMine(['@alice'], me));
    assert.ok(isMine(['@AliceSmith'], me));
    assert.ok(isMine(['@bob', '@Payments'], me));
  });

  it('does not match other people or teams', () => {
    assert.ok(!isMine(['@bob', '@org/payments-team', 'smith'], me));
    assert.ok(!isMine([], me));
  });

  it('matches nothing without an identity', () => {
    assert.ok(!isMine(['@alice', ''], identityHandles({ extra: [] })));
  });
});
