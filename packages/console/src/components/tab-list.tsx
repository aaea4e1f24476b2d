import { useRef, type KeyboardEvent } from 'react';

export interface TabItem<K extends string> {
  readonly key: K;
  readonly label: string;
}

/**
 * WAI-ARIA tabs: one tab stop for the list, arrow keys (and Home/End) move between tabs and select them,
 * Tab moves on into the panel.
 */
export function TabList<K extends string>({ tabs, selected, onSelect, label, idPrefix }: { tabs: readonly TabItem<K>[]; selected: K; onSelect: (key: K) => void; label: string; idPrefix: string }) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const onKeyDown = (event: KeyboardEvent) => {
    const index = tabs.findIndex((tab) => tab.key === selected);
    let next = -1;
    if (event.key === 'ArrowRight') next = (index + 1) % tabs.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + tabs.length) % tabs.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = tabs.length - 1;
    if (next < 0) return;
    event.preventDefault();
    const key = tabs[next]!.key;
    onSelect(key);
    refs.current[key]?.focus();
  };
  return (
    <div role="tablist" aria-label={label} className="tabs" onKeyDown={onKeyDown}>
      {tabs.map((tab) => (
        <button
          key={tab.key}
          ref={(element) => {
            refs.current[tab.key] = element;
          }}
          role="tab"
          type="button"
          id={`${idPrefix}-tab-${tab.key}`}
          aria-controls={`${idPrefix}-panel`}
          aria-selected={tab.key === selected}
          tabIndex={tab.key === selected ? 0 : -1}
          className={tab.key === selected ? 'tab tab-selected' : 'tab'}
          onClick={() => onSelect(tab.key)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
