/**
 * What a fresh Coplan starts with: the HTC–NPIA cooperation plan for 2022–2023, as agreed at the
 * online workshop of 21 January 2022 (the ILO-China Partnership Project report), and, on the
 * embedded database only, demo accounts for each kind of member.
 *
 * The board is shown as it stood around the turn of 2022/2023: most 2022 activities done, a few
 * running late, one blocked by travel restrictions, the 2023 ones still planned.
 */
import type { IndicatorInput, NewItemInput } from '../domain/plan-document';
import type { OrganisationCode } from '../domain/organisations';
import type { Role } from '../domain/roles';

/** What the seed adds beyond the card's fields, so that a new board shows every kind of content. */
interface SeedDetails {
  /** Demo account e-mails; on a database without demo accounts they are left out. */
  owners?: string[];
  tags?: string[];
  checklist?: Array<[text: string, done: boolean]>;
  indicators?: IndicatorInput[];
  description?: string[];
}

type SeedActivity = Omit<NewItemInput, 'workstreamId'> & { details?: SeedDetails };

interface SeedWorkstream {
  name: string;
  activities: SeedActivity[];
}

export interface DemoAccountSpec {
  email: string;
  name: string;
  organisation: OrganisationCode;
  role: Role;
}

const workstreams: SeedWorkstream[] = [
  {
    name: 'AI and robotics training',
    activities: [
      {
        title: 'Joint workshop: industrial robot programming basics (HTC → NPIA)',
        leadOrg: 'HTC',
        start: '2022-03-14',
        end: '2022-03-25',
        status: 'done',
        progress: 100,
      },
      {
        title: 'Online course: AI fundamentals for NPIA instructors',
        leadOrg: 'HTC',
        start: '2022-05-09',
        end: '2022-07-29',
        status: 'done',
        progress: 100,
      },
      {
        title: 'Robotics training cell set up at NPIA with enterprise partner equipment',
        leadOrg: 'ENTERPRISE',
        start: '2022-09-01',
        end: '2023-03-31',
        status: 'in_progress',
        progress: 60,
      },
      {
        title: 'Joint AI and robotics skills competition for HTC and NPIA students',
        leadOrg: 'NPIA',
        start: '2023-09-11',
        end: '2023-09-15',
        status: 'planned',
        progress: 0,
      },
    ],
  },
  {
    name: 'Digital skills',
    activities: [
      {
        title: 'Digitalisation of TVET: needs assessment at NPIA',
        leadOrg: 'ILO',
        start: '2022-02-14',
        end: '2022-04-15',
        status: 'done',
        progress: 100,
      },
      {
        title: 'Online module: digital literacy for TVET teachers',
        leadOrg: 'HTC',
        start: '2022-06-01',
        end: '2022-08-31',
        status: 'done',
        progress: 100,
      },
      {
        title: 'Digital skills units mapped to the Cambodia Qualifications Framework',
        leadOrg: 'NPIA',
        start: '2022-10-03',
        end: '2023-02-28',
        status: 'in_progress',
        progress: 45,
      },
    ],
  },
  {
    name: 'Online training modules',
    activities: [
      {
        title: 'NPIA course space opened on the HTC online learning platform',
        leadOrg: 'HTC',
        start: '2022-04-04',
        end: '2022-06-30',
        status: 'done',
        progress: 100,
      },
      {
        title: 'Khmer and English subtitles for 12 HTC video lessons',
        leadOrg: 'NPIA',
        start: '2022-07-01',
        end: '2022-12-16',
        status: 'in_progress',
        progress: 70,
        details: {
          owners: ['npia.editor@coplan.test'],
          tags: ['online', 'Khmer', 'subtitles'],
          checklist: [
            ['Lessons 1–4', true],
            ['Lessons 5–8', true],
            ['Lessons 9–12', false],
          ],
          indicators: [
            {
              name: 'Video lessons subtitled',
              unit: 'lessons',
              baseline: 0,
              target: 12,
              actual: 8,
            },
          ],
        },
      },
      {
        title: 'Online module: electrical installation safety',
        leadOrg: 'HTC',
        start: '2023-03-01',
        end: '2023-05-31',
        status: 'planned',
        progress: 0,
      },
    ],
  },
  {
    name: 'Training of trainers',
    activities: [
      {
        title: 'ToT cohort 1: 20 NPIA trainers certified in PLC',
        leadOrg: 'HTC',
        start: '2022-08-15',
        end: '2022-11-30',
        status: 'done',
        progress: 100,
        details: {
          owners: ['htc.editor@coplan.test', 'npia.editor@coplan.test'],
          tags: ['ToT', 'PLC', 'certification'],
          checklist: [
            ['Agree the PLC syllabus with NPIA', true],
            ['Select 20 NPIA trainers', true],
            ['Run the 12-week blended course', true],
            ['Certification exam at HTC standard', true],
          ],
          indicators: [
            {
              name: 'Trainers certified, women',
              unit: 'people',
              baseline: 0,
              target: 10,
              actual: 8,
            },
            {
              name: 'Trainers certified, men',
              unit: 'people',
              baseline: 0,
              target: 10,
              actual: 11,
            },
          ],
          description: [
            'Blended training of trainers in programmable logic controllers: online theory from HTC, practical sessions in the NPIA workshop.',
            'Trainers who pass the certification exam teach cohort 3 for CamHR partner firms.',
          ],
        },
      },
      {
        title: 'ToT cohort 2 in Haikou: robot maintenance (on hold: travel restrictions)',
        leadOrg: 'HTC',
        start: '2022-10-10',
        end: '2022-12-09',
        status: 'blocked',
        progress: 10,
        details: {
          owners: ['htc.editor@coplan.test'],
          tags: ['ToT', 'robotics', 'travel'],
          checklist: [
            ['Training plan for robot maintenance', true],
            ['Visas and travel for 8 NPIA trainers', false],
            ['Workshop booking in Haikou', false],
          ],
          description: [
            'On hold while travel restrictions last. Option under discussion: move the theory part online and keep the hands-on week for when travel reopens.',
          ],
        },
      },
      {
        title: 'ToT cohort 3: certified NPIA trainers teach PLC to CamHR partner firms',
        leadOrg: 'CAMHR',
        start: '2023-04-03',
        end: '2023-06-30',
        status: 'planned',
        progress: 0,
      },
    ],
  },
  {
    name: 'General technical skills teaching',
    activities: [
      {
        title: 'CNC machining lesson plans shared with NPIA teachers',
        leadOrg: 'HTC',
        start: '2022-05-16',
        end: '2022-07-15',
        status: 'done',
        progress: 100,
      },
      {
        title: 'Joint assessment standard: electrical installation, level 2',
        leadOrg: 'NPIA',
        start: '2022-09-05',
        end: '2023-01-31',
        status: 'in_progress',
        progress: 55,
      },
      {
        title: 'Enterprise placements: 30 NPIA students in partner firms',
        leadOrg: 'ENTERPRISE',
        start: '2023-06-01',
        end: '2023-08-31',
        status: 'planned',
        progress: 0,
        details: {
          owners: ['npia.editor@coplan.test'],
          tags: ['placements', 'enterprise'],
          indicators: [
            {
              name: 'Students placed, women',
              unit: 'students',
              baseline: 0,
              target: 15,
              actual: null,
            },
            {
              name: 'Students placed, men',
              unit: 'students',
              baseline: 0,
              target: 15,
              actual: null,
            },
          ],
        },
      },
    ],
  },
  {
    name: 'Officials management training',
    activities: [
      {
        title: 'Online seminar: TVET governance and school–enterprise cooperation',
        leadOrg: 'MOHRSS',
        start: '2022-06-20',
        end: '2022-06-24',
        status: 'done',
        progress: 100,
      },
      {
        title: 'Quality assurance workshop for NPIA department heads',
        leadOrg: 'ILO',
        start: '2022-11-07',
        end: '2022-11-11',
        status: 'done',
        progress: 100,
        details: {
          owners: ['ilo@coplan.test'],
          tags: ['quality assurance', 'officials'],
        },
      },
      {
        title: 'MoHRSS study visit for NPIA managers',
        leadOrg: 'MOHRSS',
        start: '2023-05-15',
        end: '2023-05-26',
        status: 'planned',
        progress: 0,
      },
    ],
  },
  {
    name: 'Teacher and student exchange',
    activities: [
      {
        title: 'Virtual classroom exchange: HTC and NPIA electronics students',
        leadOrg: 'NPIA',
        start: '2022-04-18',
        end: '2022-06-10',
        status: 'done',
        progress: 100,
      },
      {
        title: 'Teacher exchange: 5 HTC teachers teach at NPIA for four weeks',
        leadOrg: 'HTC',
        start: '2023-02-13',
        end: '2023-03-10',
        status: 'planned',
        progress: 0,
      },
      {
        title: 'Student exchange: 10 NPIA students at HTC, Haikou',
        leadOrg: 'HTC',
        start: '2023-07-03',
        end: '2023-08-25',
        status: 'planned',
        progress: 0,
      },
    ],
  },
];

export const seedContent = {
  plan: {
    slug: 'htc-npia-2022-2023',
    title: 'HTC–NPIA Cooperation Plan 2022–2023',
    periodStart: '2022-01-01',
    periodEnd: '2023-12-31',
  },
  workstreams,
  demoPassword: 'coplan-demo-2022',
  demoAccounts: [
    { email: 'owner@coplan.test', name: 'Zhang Wei', organisation: 'HTC', role: 'owner' },
    { email: 'htc.editor@coplan.test', name: 'Chen Jing', organisation: 'HTC', role: 'editor' },
    { email: 'npia.editor@coplan.test', name: 'Sok Dara', organisation: 'NPIA', role: 'editor' },
    { email: 'ilo@coplan.test', name: 'Li Ming', organisation: 'ILO', role: 'commenter' },
    {
      email: 'participant@coplan.test',
      name: 'Chea Sophea',
      organisation: 'NPIA',
      role: 'viewer',
    },
  ] satisfies DemoAccountSpec[],
};
