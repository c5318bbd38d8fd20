// The worker's single `workflowsPath`: every workflow of the product is re-exported from here.
export { villageRectification } from './village-rectification';
