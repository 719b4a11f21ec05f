import type { KnowledgeArticle } from '../domain/index.js';

/**
 * The demo knowledge base of "Northwind Fiber", a home-internet provider. The store seeds it; the
 * knowledge-search and intent evaluations are measured against it, so changing an article can move
 * those figures (run `npm run eval` after editing).
 */
export const knowledgeArticles: Array<Omit<KnowledgeArticle, 'createdAt' | 'updatedAt'>> = [
  {
    id: 'kb_outage_check',
    title: 'Check for an outage in your area',
    keywords: ['outage', 'service down', 'no internet', 'status page', 'area', 'network down', 'maintenance'],
    product: 'Fiber Internet',
    body: `If all of your devices lost the internet at the same time, there may be an outage in your neighbourhood. Before you restart anything, check whether we already know about it.

1. Open status.northwindfiber.example on your phone (using mobile data) or sign in to the Northwind app and tap Service status.
2. Enter your service address. A red banner means an active outage; it shows the cause and the estimated time of repair.
3. Tap "Notify me" to get a text message when service is restored.

Planned maintenance is announced at least 48 hours ahead and usually happens between 00:00 and 05:00. If there is no outage listed and your router shows a red or orange light, follow "Router lights and what they mean". Outages longer than 4 hours qualify for an automatic credit (see "Outage credits").`,
  },
  {
    id: 'kb_router_red_light',
    title: 'Router lights and what they mean (blinking red, orange, white)',
    keywords: [
      'router',
      'lights',
      'red light',
      'blinking red',
      'orange light',
      'flashing',
      'LED',
      'status light',
    ],
    product: 'Wi-Fi',
    body: `The light on the front of your Northwind router tells you what it is doing.

- Solid white: connected and working normally.
- Blinking white: starting up or installing an update. Wait up to 10 minutes and do not unplug it.
- Solid orange: connected to the fiber terminal (ONT) but not to the internet. Check for an outage in your area.
- Blinking orange: the router cannot reach the ONT. Make sure the Ethernet cable between the ONT's LAN port and the router's WAN port (the blue one) is firmly plugged in at both ends.
- Blinking red: no fiber signal. Check that the green fiber cable into the ONT is not bent or pulled out, then restart the ONT.
- Solid red: hardware fault. Restart once; if it stays red, contact us to arrange a replacement.

If the light is off, check the power adapter and try another outlet.`,
  },
  {
    id: 'kb_restart_router_ont',
    title: 'Restart your router and ONT (fiber terminal)',
    keywords: ['restart', 'reboot', 'power cycle', 'reset', 'ONT', 'fiber terminal', 'router', 'unplug'],
    product: 'Fiber Internet',
    body: `Restarting clears most connection problems. Restart both boxes in the right order.

1. Unplug the power cable from your router and from the ONT (the small white box where the fiber comes into your home).
2. Wait 30 seconds.
3. Plug in the ONT first and wait until its PON light is solid green (about 2 minutes).
4. Plug in the router and wait until its light is solid white (about 3 minutes).
5. Test your connection on a device close to the router.

Do not press the recessed Reset button unless an agent asks you to: a factory reset erases your Wi-Fi name and password. If the connection still fails after a restart, check the router lights article or contact us.`,
  },
  {
    id: 'kb_slow_wifi',
    title: 'Slow Wi-Fi troubleshooting',
    keywords: [
      'slow',
      'slow wifi',
      'speed',
      'lag',
      'weak signal',
      'dropping',
      'disconnects',
      'wifi slow',
      'unstable connection',
      'connection drops',
    ],
    product: 'Wi-Fi',
    body: `If the internet feels slow on Wi-Fi, work through these steps in order.

1. Run a speed test on a computer plugged into the router with a cable. If the wired speed is close to your plan, the connection is fine and the problem is Wi-Fi coverage.
2. Move the router to a central, open spot, off the floor and away from microwaves, cordless phones and fish tanks.
3. Connect to the 5 GHz network (name ending in -5G) when you are near the router; use 2.4 GHz only for far rooms.
4. Restart the router to pick a less crowded channel.
5. Disconnect devices you are not using; cloud backups and game downloads can use most of the bandwidth.

If some rooms stay slow, add a mesh extender. If the wired speed is also slow, restart the router and ONT, and contact us if it does not improve.`,
  },
  {
    id: 'kb_change_wifi_password',
    title: 'Change your Wi-Fi name and password',
    keywords: ['wifi password', 'wifi name', 'SSID', 'network name', 'change password', 'network key', 'wpa'],
    product: 'Wi-Fi',
    body: `You can change your Wi-Fi network name (SSID) and password in the Northwind app or in the router's settings page.

In the app: open the Northwind app, tap Wi-Fi, then Network settings. Edit the name and the password (at least 12 characters) and tap Save. The router restarts its Wi-Fi within a minute.

In a browser: connect to your network, open http://192.168.1.1 and sign in with the admin password printed on the sticker under the router. Go to Wireless > Security, change the network name and WPA2/WPA3 password and select Apply.

After the change, every device must reconnect with the new password. Smart TVs, printers and speakers often need to be set up again.`,
  },
  {
    id: 'kb_mesh_extender',
    title: 'Set up a mesh Wi-Fi extender',
    keywords: ['mesh', 'extender', 'booster', 'coverage', 'dead zone', 'range', 'satellite', 'pods'],
    product: 'Wi-Fi',
    body: `A Northwind mesh extender brings strong Wi-Fi to rooms far from the router. Extenders are included with the Gig plan and can be rented on other plans.

1. Plug the extender into an outlet halfway between the router and the room with weak Wi-Fi. Avoid placing it in the dead zone itself.
2. In the Northwind app, tap Wi-Fi > Add extender and follow the prompts; the app finds the extender automatically.
3. Wait until the extender's light turns solid white (up to 5 minutes).
4. The extender joins your existing network, so you keep the same Wi-Fi name and password.

If the light stays orange, the extender is too far from the router: move it one room closer. For best results connect the extender to the router with an Ethernet cable (wired backhaul).`,
  },
  {
    id: 'kb_understand_bill',
    title: 'Understanding your bill',
    keywords: ['bill', 'invoice', 'charges', 'statement', 'prorated', 'higher bill', 'taxes', 'fees'],
    product: 'Billing',
    body: `Your monthly bill shows charges for the coming month and any adjustments from the last one.

- Monthly service: your plan's price, billed in advance.
- Equipment: rental of extenders or a TV box, if any.
- One-time charges: installation, a technician visit, or a late fee.
- Prorated charges: when you change plan mid-cycle, you pay the difference for the days remaining, so the first bill after a change is often higher than usual.
- Credits: outage credits and promotions, shown as negative amounts.
- Taxes and regulatory fees.

Find your bills in the Northwind app under Billing > Statements, where you can download each one as a PDF. If a charge looks wrong, note the line and contact our billing team; we correct errors and refund the difference.`,
  },
  {
    id: 'kb_payment_autopay',
    title: 'Payment methods and autopay',
    keywords: [
      'pay',
      'payment',
      'autopay',
      'credit card',
      'bank account',
      'direct debit',
      'card declined',
      'update card',
    ],
    product: 'Billing',
    body: `You can pay by credit or debit card, bank account (direct debit) or PayPal.

To set up autopay: sign in to the Northwind app, go to Billing > Payment methods, add a card or bank account, and switch on Autopay. We charge the payment method on the due date each month and email you a receipt. Customers with autopay and paperless billing get a 5 dollar monthly discount.

To update an expired card, open Billing > Payment methods, select the card and choose Edit. If a payment is declined we retry after 3 days and email you; update the payment method before then to avoid a late fee.

One-time payments can be made at any time in the app, by phone on our automated line, or at partner stores.`,
  },
  {
    id: 'kb_late_fee_refund',
    title: 'Late fees and refunds',
    keywords: [
      'late fee',
      'refund',
      'charged twice',
      'double charge',
      'money back',
      'overcharged',
      'dispute',
    ],
    product: 'Billing',
    body: `A late fee of 10 dollars is added when a bill is unpaid 10 days after its due date. We waive the first late fee in any 12-month period: ask in chat and an agent can remove it.

Refunds: if you were charged twice or overcharged, we refund the amount to the original payment method within 5 to 7 business days after an agent confirms it. Refunds to a closed card are sent as a check to your billing address.

To request a refund, start a chat with the billing team and have the date and amount of the charge ready. Credit balances after cancellation are refunded automatically within 30 days.`,
  },
  {
    id: 'kb_moving_service',
    title: 'Moving your service to a new address',
    keywords: ['move', 'moving', 'new address', 'relocate', 'transfer service', 'new home', 'house move'],
    product: 'Account',
    body: `Moving home? Take Northwind Fiber with you.

1. Check that fiber is available at your new address on northwindfiber.example/availability.
2. At least two weeks before you move, tell us your moving date in the app under Account > Move my service, or in chat.
3. We schedule the disconnect at your old address and the installation at the new one; if the new home already has a Northwind ONT, activation can be remote with no technician.
4. Bring your router and extenders with you.

There is no moving fee when you keep the same plan. If fiber is not available at the new address, you can cancel without an early termination fee by showing proof of the new address.`,
  },
  {
    id: 'kb_installation_appointment',
    title: 'New installation appointment',
    keywords: [
      'installation',
      'install',
      'appointment',
      'technician',
      'reschedule',
      'new customer',
      'setup visit',
    ],
    product: 'Fiber Internet',
    body: `A technician installs fiber in about 2 to 4 hours. You will get a confirmation text with the appointment window.

Before the visit: make sure an adult (18+) is home, clear access to the spot where the fiber enters the house and to where you want the router, and have a power outlet free.

During the visit the technician connects the fiber, mounts the ONT, sets up the router and tests your speed.

To reschedule or cancel the appointment, use the link in the confirmation text or the Northwind app under Account > Appointments at least 24 hours ahead. If the technician is running late you will get a text with a new arrival time.`,
  },
  {
    id: 'kb_change_plan',
    title: 'Upgrade or downgrade your plan',
    keywords: [
      'upgrade',
      'downgrade',
      'change plan',
      'faster plan',
      'cheaper plan',
      'gig',
      'speed tier',
      'package',
    ],
    product: 'Account',
    body: `Northwind Fiber offers 300 Mbps, 500 Mbps, 1 Gig and 2 Gig plans.

To change plan, open the Northwind app, go to Account > My plan and choose Change plan. Upgrades take effect within 15 minutes; restart your router to get the new speed right away. Downgrades take effect at the start of your next billing cycle.

Your next bill includes a prorated charge or credit for the change. Upgrading to 2 Gig may need a new router; we ship it free. There is no fee to change plans, and you can change plan once per billing cycle.`,
  },
  {
    id: 'kb_cancel_service',
    title: 'Cancel your service',
    keywords: [
      'cancel',
      'cancellation',
      'terminate',
      'close account',
      'end service',
      'cancel subscription',
      'disconnect',
    ],
    product: 'Account',
    body: `We are sorry to see you go. To cancel, start a chat or call us; cancellation cannot be done in the app so that we can confirm your identity.

- Service ends on the date you choose, at the earliest the next day.
- Your final bill covers service up to the cancellation date; any credit is refunded within 30 days.
- Customers on a 12-month promotion who cancel early pay an early termination fee of 15 dollars per remaining month.
- Return your rented equipment within 30 days to avoid equipment charges (see "Returning equipment").

If you are cancelling because of a problem, tell us: an agent may be able to fix it or offer a better plan.`,
  },
  {
    id: 'kb_parental_controls',
    title: 'Parental controls and screen time',
    keywords: [
      'parental controls',
      'block websites',
      'kids',
      'children',
      'screen time',
      'pause internet',
      'content filter',
    ],
    product: 'Wi-Fi',
    body: `Northwind Family Controls let you filter content and set internet schedules for your children's devices, free with every plan.

1. In the Northwind app, tap Wi-Fi > Family.
2. Create a profile for each child and assign their devices.
3. Choose a content filter level (Kids, Teens, or Custom with your own blocked websites).
4. Set a bedtime schedule, or tap Pause to turn off internet for a profile right away.

The filter works on every device connected to your Wi-Fi. It does not apply on mobile data, so combine it with the phone's own controls.`,
  },
  {
    id: 'kb_static_ip_port_forwarding',
    title: 'Static IP address and port forwarding',
    keywords: ['static ip', 'port forwarding', 'open port', 'nat', 'gaming', 'server', 'public ip', 'cgnat'],
    product: 'Fiber Internet',
    body: `By default your home gets a dynamic public IP address that rarely changes. A static IP is available as a 10 dollar monthly add-on: order it in the app under Account > Add-ons; it is active within one hour.

Port forwarding lets a game console, camera or home server accept incoming connections:

1. Open http://192.168.1.1 and sign in with the admin password from the router sticker.
2. Go to Advanced > Port forwarding and select Add rule.
3. Choose the device, enter the external and internal port and protocol (TCP, UDP or both), and save.

For gaming consoles you can instead enable UPnP under Advanced. Forwarded ports stay open until you delete the rule.`,
  },
  {
    id: 'kb_email_setup',
    title: 'Set up your Northwind email account',
    keywords: ['email', 'mail', 'outlook', 'imap', 'smtp', 'mailbox', 'email password'],
    product: 'Account',
    body: `Every plan includes up to five @northwindmail.example mailboxes.

To read mail in Outlook, Apple Mail or on your phone, add an account with these settings:
- Incoming (IMAP): imap.northwindmail.example, port 993, SSL/TLS.
- Outgoing (SMTP): smtp.northwindmail.example, port 587, STARTTLS, authentication required.
- User name: your full email address.

To reset an email password, go to Account > Email in the app. If mail stops sending, check that your program uses port 587 and not 25; port 25 is blocked to stop spam.`,
  },
  {
    id: 'kb_return_equipment',
    title: 'Returning equipment',
    keywords: [
      'return',
      'equipment',
      'send back',
      'router return',
      'shipping label',
      'return box',
      'unreturned',
    ],
    product: 'Account',
    body: `After cancelling, or when we replace a device, return rented equipment within 30 days.

1. In the app, go to Account > Equipment and choose Return. We email a prepaid shipping label.
2. Pack the router, extenders and power adapters (you keep the ONT; it belongs to the house).
3. Drop the box at any parcel shop, or bring it to a Northwind store and get a receipt.

Equipment that is not returned within 30 days is charged at its replacement price (router 120 dollars, extender 80 dollars). The charge is reversed if the equipment arrives later.`,
  },
  {
    id: 'kb_outage_credit',
    title: 'Outage credits',
    keywords: ['credit', 'outage credit', 'compensation', 'discount', 'days without service', 'reimburse'],
    product: 'Billing',
    body: `If your service was down because of a Northwind network outage, you get a credit on your next bill.

- Outages longer than 4 hours: a credit of one day's service for each day affected, applied automatically.
- Outages longer than 24 hours: an extra 10 dollar goodwill credit.

Outages caused by your own equipment or wiring, or by a planned maintenance window announced in advance, are not credited. If you were affected by an outage that is not on your bill, contact us within 60 days with the dates and we will review it.`,
  },
  {
    id: 'kb_speed_test',
    title: 'Run a speed test',
    keywords: ['speed test', 'test speed', 'mbps', 'bandwidth', 'download speed', 'upload speed', 'ping'],
    product: 'Fiber Internet',
    body: `A speed test shows whether you get the speed of your plan.

1. Use a computer connected to the router with an Ethernet cable; Wi-Fi tests measure the Wi-Fi, not the line.
2. Close other apps and pause downloads and streaming on other devices.
3. Go to speedtest.northwindfiber.example and select Start.
4. Run it three times and note the download, upload and ping.

Wired results above 90% of your plan are normal. Most laptops and phones top out around 500 to 900 Mbps on Wi-Fi, even on a 2 Gig plan. If the wired result is far below your plan, restart the router and ONT and test again; if it stays low, contact us with the results.`,
  },
  {
    id: 'kb_streaming_buffering',
    title: 'Streaming and TV buffering',
    keywords: [
      'buffering',
      'streaming',
      'netflix',
      'tv',
      'video freezes',
      'smart tv',
      'youtube',
      'stream quality',
    ],
    product: 'Wi-Fi',
    body: `If movies or live TV keep buffering or drop to low quality:

1. Run a speed test on the TV or streaming stick if it has one; 25 Mbps is enough for one 4K stream.
2. Connect the TV with an Ethernet cable if it is near the router, or move it to the 5 GHz network.
3. Restart the TV or streaming stick and the streaming app; apps cache a lot and slow down over time.
4. Check for an outage and for other heavy use in the home (game downloads, backups).
5. Update the TV's software.

If only one streaming service buffers while others play fine, the problem is probably on the service's side; check its status page.`,
  },
];
