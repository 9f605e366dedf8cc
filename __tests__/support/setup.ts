import { setupJest } from 'cdktf/lib/testing/adapters/jest';

// cdktf's matchers (toHaveResource, toHaveResourceWithProperties, ...) and their types.
setupJest();
