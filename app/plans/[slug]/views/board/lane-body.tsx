'use client';

import { useEffect, useRef, useState, type ReactNode } from 'react';

import styles from './board.module.css';

/** Plans up to this size render every card at once; bigger ones render lanes as they come near. */
export const eagerPlanSize = 300;

/**
 * A lane's cards, rendered once the lane comes within a screen or so of the viewport, and kept
 * from then on. Until then a block of about the right height holds its place. A plan with 2,000
 * activities then starts with the few lanes on screen instead of building every card first.
 */
export function LaneBody({
  eager,
  estimatedHeight,
  children,
}: {
  eager: boolean;
  estimatedHeight: number;
  children: ReactNode;
}) {
  const placeholder = useRef<HTMLDivElement>(null);
  const [near, setNear] = useState(eager);

  useEffect(() => {
    const element = placeholder.current;
    if (near || !element || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          observer.disconnect();
          setNear(true);
        }
      },
      { rootMargin: '1200px 600px' },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [near]);

  if (near) return children;
  return (
    <div
      ref={placeholder}
      className={styles.lanePlaceholder}
      style={{ height: estimatedHeight }}
      aria-hidden="true"
      data-testid="lane-placeholder"
    />
  );
}
