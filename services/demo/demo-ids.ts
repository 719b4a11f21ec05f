/**
 * Stable ids of the demo data, so tests, dev sign-in and the README can refer to them
 * (e.g. sign in as `agent_alex` or `supervisor_sam`).
 */
export const DEMO_IDS = {
  workstreams: {
    /** Web chat widget; also serves `directline` (the widget's transport). */
    webchat: 'ws_webchat',
    teams: 'ws_teams',
  },
  queues: {
    technical: 'queue_technical',
    billing: 'queue_billing',
    salesMoving: 'queue_sales_moving',
  },
  agents: {
    alex: 'agent_alex',
    bianca: 'agent_bianca',
    chen: 'agent_chen',
    devi: 'agent_devi',
    emma: 'agent_emma',
    farah: 'agent_farah',
  },
  supervisors: {
    sam: 'supervisor_sam',
  },
  /** Sets the contact center up through the admin API (docs/agent-api.md, "Administration"). */
  admins: {
    riley: 'admin_riley',
  },
  macros: {
    logOutage: 'macro_log_outage',
    billingDispute: 'macro_billing_dispute',
    movingRequest: 'macro_moving_request',
    equipmentReturn: 'macro_equipment_return',
  },
  scripts: {
    outage: 'script_outage_troubleshooting',
    billing: 'script_billing_dispute',
    moving: 'script_moving_service',
  },
  customers: {
    dana: 'cust_dana_whitfield',
    marcus: 'cust_marcus_bell',
    priya: 'cust_priya_raman',
    tomas: 'cust_tomas_alvarez',
    grace: 'cust_grace_kim',
    oliver: 'cust_oliver_brandt',
    amara: 'cust_amara_nwosu',
    lucia: 'cust_lucia_ferreira',
    harbor: 'cust_harbor_bakery',
    maple: 'cust_maple_dental',
  },
} as const;

/** The marker set once the demo data is complete. */
export const DEMO_SEED_MARKER = 'demo-data-v1';
