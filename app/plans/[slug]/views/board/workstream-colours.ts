import type { WorkstreamColour } from '../../../../../domain/plan-document';

/**
 * What each workstream colour name looks like on the board: a strong colour for the lane's stripe
 * and swatch (at least 3:1 against white, for a non-text mark), a soft tint for the lane header,
 * and a text colour with at least 4.5:1 on that tint.
 */
export const workstreamPalette: Record<
  WorkstreamColour,
  { strong: string; soft: string; text: string }
> = {
  blue: { strong: '#2563eb', soft: '#eaf1fe', text: '#1e40af' },
  green: { strong: '#059669', soft: '#e7f6ef', text: '#065f46' },
  amber: { strong: '#b45309', soft: '#fdf3e1', text: '#7c3a06' },
  violet: { strong: '#7c3aed', soft: '#f1ebfe', text: '#5b21b6' },
  rose: { strong: '#e11d48', soft: '#fdecef', text: '#9f1239' },
  cyan: { strong: '#0891b2', soft: '#e4f5f9', text: '#155e75' },
  lime: { strong: '#4d7c0f', soft: '#eef6e0', text: '#3f6212' },
  slate: { strong: '#64748b', soft: '#eef1f5', text: '#334155' },
};
