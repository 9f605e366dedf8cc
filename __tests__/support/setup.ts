import { Testing } from 'cdktf';

// cdktf's matchers: toHaveResource, toHaveResourceWithProperties, ...
Testing.setupJest();
