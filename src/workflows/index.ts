// The worker's single `workflowsPath`: every workflow of the product is re-exported from here.
export { villageRectification } from './village-rectification';
export { townshipSupervision } from './township-supervision';
export { inquiryCase } from './inquiry-case';
export { countyProgramme } from './county-programme';
export { consequencesLedger } from './consequences-ledger';
